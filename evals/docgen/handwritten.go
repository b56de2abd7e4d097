package docgen

// Hand-written documents: wording, layouts and damage that the renderers do
// not produce (other titles, missing titles, only the back of a card, heavy
// OCR damage, a rental of a room instead of a house). They are always in the
// test split, so they measure how the model generalises beyond the generator.
var handwritten = []Doc{
	{DocType: "trich_luc_khai_sinh", Procedure: ProcThuongTru, Requirement: "giay-to-quan-he-nhan-than", TextLayer: true, Pages: []string{"GIẤY KHAI SINH\n(Bản chính)\nHọ và tên: LÊ MINH KHOA\nGiới tính: Nam\nNgày, tháng, năm sinh: 14/07/2012\nNơi sinh: Bệnh viện Nhi Trung ương\nHọ và tên cha: Lê Văn Thành\nHọ và tên mẹ: Đào Thị Hoa\nĐăng ký ngày 20 tháng 7 năm 2012\n"},
		Fields: []Field{{"full_name", "child", "LÊ MINH KHOA", "Lê Minh Khoa"}, {"date_of_birth", "child", "14/07/2012", "2012-07-14"}, {"full_name", "father", "Lê Văn Thành", "Lê Văn Thành"}, {"full_name", "mother", "Đào Thị Hoa", "Đào Thị Hoa"}}},
	{DocType: "hop_dong_thue_nha", Procedure: ProcThuongTru, Requirement: "hop-dong-thue-muon-o-nho", TextLayer: true, Pages: []string{"HỢP ĐỒNG THUÊ PHÒNG TRỌ\nBên cho thuê phòng trọ: bà Trần Thị Lụa, sinh năm 1968\nBên thuê phòng trọ: anh Vũ Quốc Bảo\nHai bên thống nhất: bên cho thuê đồng ý cho thuê 01 phòng trọ diện tích 18 m2 tại số 12 ngõ 45 phố Chùa Láng, giá 2.500.000 đồng/tháng, đặt cọc 01 tháng. Bên thuê được đăng ký tạm trú, thường trú theo quy định.\n"},
		Fields: []Field{}},
	{DocType: "hop_dong_thue_nha", Procedure: ProcThuongTru, Requirement: "hop-dong-thue-muon-o-nho", TextLayer: true, Pages: []string{"VĂN BẢN ĐỒNG Ý CHO Ở NHỜ\nTôi là chủ sở hữu căn nhà tại thôn Phú Mỹ, xã Hòa Vang, thành phố Đà Nẵng. Tôi đồng ý cho cháu tôi là Phạm Văn Lực ở nhờ tại căn nhà nói trên và đồng ý để cháu đăng ký thường trú vào chỗ ở này. Văn bản được chứng thực tại UBND xã.\n"}},
	{DocType: "don_de_nghi_cap_gpxd", Procedure: ProcGPXD, Requirement: "don-de-nghi-cap-giay-phep-xay-dung", TextLayer: true, Pages: []string{"Đơn xin cấp phép xây dựng nhà ở\nKính gửi: UBND phường Cẩm Phả\nTôi tên là Hoàng Văn Sáu, chủ đầu tư công trình nhà ở riêng lẻ 3 tầng tại lô 15 khu dân cư Cẩm Bình. Tôi đề nghị được cấp giấy phép xây dựng theo hồ sơ thiết kế kèm theo. Diện tích xây dựng tầng 1: 72 m2, tổng diện tích sàn 210 m2. Tôi cam kết xây dựng đúng giấy phép được cấp.\n"},
		Fields: []Field{{"full_name", "owner", "Hoàng Văn Sáu", "Hoàng Văn Sáu"}}},
	{DocType: "cccd", Procedure: ProcKhaiSinh, Requirement: "giay-to-tuy-than", TextLayer: false, Pages: []string{"Dac diem nhan dang / Personal identification:\nSeo chấm c 2cm trên đuôi mắt trái\nNgày, tháng, năm / Date, month, year: 15/09/2021\nCUC TRUONG CUC CANH SAT\nQUAN LY HANH CHINH VE TRAT TU XA HOI\nIDVNM0950014567001095001456<<8\n9505127M3505121VNM<<<<<<<<<<<4\nNGUYEN<<THI<HONG<NHUNG<<<<<<<<\n"},
		Fields: []Field{{"issue_date", "holder", "15/09/2021", "2021-09-15"}}},
	{DocType: "cccd", Procedure: ProcHoKinhDoanh, Requirement: "ban-sao-the-can-cuoc", TextLayer: false, Pages: []string{"C0NG H0A XA H0I CHU NGHIA VlET NAM\nCAN CUOC C0NG DAN\nCitizen ldentity Card\nSo / No.: 038195004417\nHo va ten / Full name:\nLE THI THU HA\nNgay sinh / Date of birth: 03/11/1995\nGioi tinh / Sex: Nu Quoc tich / Nationality: Viet Nam\n"},
		Fields: []Field{{"id_number", "holder", "038195004417", "038195004417"}, {"full_name", "holder", "LE THI THU HA", "Le Thi Thu Ha"}, {"date_of_birth", "holder", "03/11/1995", "1995-11-03"}}},
	{DocType: "ct01_to_khai_cu_tru", Procedure: ProcThuongTru, Requirement: "to-khai-thay-doi-thong-tin-cu-tru", TextLayer: true, Pages: []string{"1. Họ, chữ đệm và tên: Đinh Thị Mỹ Duyên\n2. Ngày, tháng, năm sinh: 21/04/1999   3. Giới tính: Nữ\n4. Số định danh cá nhân: 022199006712\n7. Họ, chữ đệm và tên chủ hộ: Đinh Văn Bảy   8. Mối quan hệ với chủ hộ: Con\n10. Nội dung đề nghị: Đăng ký thường trú\n"},
		Fields: []Field{{"full_name", "applicant", "Đinh Thị Mỹ Duyên", "Đinh Thị Mỹ Duyên"}, {"date_of_birth", "applicant", "21/04/1999", "1999-04-21"}, {"id_number", "applicant", "022199006712", "022199006712"}, {"full_name", "household_head", "Đinh Văn Bảy", "Đinh Văn Bảy"}}},
	{DocType: "giay_chung_sinh", Procedure: ProcKhaiSinh, Requirement: "giay-chung-sinh", TextLayer: false, Pages: []string{"S0 Y TE TlNH NGHE AN\nGlAY CHUNG SlNH\nHo va ten me: Nguyen Thi Loan    Nam sinh: 1996\nDa sinh con vao luc 22 gio 10 phut ngay 02 thang 01 nam 2026\nTai: Benh vien Da khoa tinh Nghe An\nGioi tinh cua con: Nu   Can nang: 3100 gam\n"},
		Fields: []Field{{"full_name", "mother", "Nguyen Thi Loan", "Nguyen Thi Loan"}, {"year_of_birth", "mother", "1996", "1996"}, {"date_of_birth", "child", "ngay 02 thang 01 nam 2026", "2026-01-02"}}},
	{DocType: "giay_uy_quyen", Procedure: ProcKhaiSinh, Requirement: "van-ban-uy-quyen", TextLayer: true, Pages: []string{"Giấy ủy quyền\nTôi, Phan Văn Hiếu, CCCD 040090001234, là cha của cháu Phan Gia Bảo, nay ủy quyền cho bà Phan Thị Liên (bà nội của cháu) thay tôi đi làm thủ tục đăng ký khai sinh cho cháu tại UBND xã Diễn Châu. Thời hạn ủy quyền: đến khi hoàn thành thủ tục.\n"},
		Fields: []Field{{"full_name", "authoriser", "Phan Văn Hiếu", "Phan Văn Hiếu"}, {"id_number", "authoriser", "040090001234", "040090001234"}, {"full_name", "authorised", "Phan Thị Liên", "Phan Thị Liên"}}},
	{DocType: "giay_de_nghi_dang_ky_ho_kinh_doanh", Procedure: ProcHoKinhDoanh, Requirement: "giay-de-nghi-dang-ky-ho-kinh-doanh", TextLayer: true, Pages: []string{"Phụ lục III-1\nGIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH\nKính gửi: Phòng Kinh tế phường Hải Châu\nTôi là: TRƯƠNG THỊ NGỌC ÁNH\nSinh ngày: 09/09/1988\nSố định danh cá nhân: 048188003321\nĐăng ký hộ kinh doanh với tên: HỘ KINH DOANH QUÁN CƠM ÁNH\nNgành nghề: dịch vụ ăn uống\n"},
		Fields: []Field{{"full_name", "owner", "TRƯƠNG THỊ NGỌC ÁNH", "Trương Thị Ngọc Ánh"}, {"date_of_birth", "owner", "09/09/1988", "1988-09-09"}, {"id_number", "owner", "048188003321", "048188003321"}}},
	{DocType: "giay_chung_nhan_quyen_su_dung_dat", Procedure: ProcGPXD, Requirement: "giay-to-hop-phap-ve-dat-dai", TextLayer: false, Pages: []string{"GIAY CHUNG NHAN QUYEN SU DUNG DAT\nQUYEN SO HUU NHA O VA TAI SAN KHAC GAN LIEN VOI DAT\nI. Nguoi su dung dat: Ong Do Van Kien, nam sinh 1970\nII. Thua dat so 245, to ban do so 12, dien tich 96 m2, muc dich su dung: dat o tai do thi, thoi han su dung: lau dai\n"}},
	{DocType: "ban_ve_thiet_ke", Procedure: ProcGPXD, Requirement: "ban-ve-thiet-ke-xay-dung", TextLayer: true, Pages: []string{"MẶT BẰNG TẦNG 2 TỶ LỆ 1/100\nPHÒNG NGỦ 1  PHÒNG NGỦ 2  WC  BAN CÔNG\nKT-03\nCHỦ NHIỆM THIẾT KẾ   THIẾT KẾ   KIỂM TRA\nCÔNG TRÌNH: NHÀ Ở GIA ĐÌNH\n", "MẶT CẮT B-B TỶ LỆ 1/100\nCốt +3.600  Cốt +7.200  Cốt ±0.000\nKT-04\n"}},
	{DocType: "giay_ket_hon", Procedure: ProcThuongTru, Requirement: "giay-to-quan-he-nhan-than", TextLayer: true, Pages: []string{"GIẤY CHỨNG NHẬN KẾT HÔN\n(Bản sao)\nChồng: Bùi Đức Thắng, sinh ngày 02/02/1990\nVợ: Ngô Thị Yến, sinh ngày 17/10/1993\nĐăng ký kết hôn tại UBND phường Lê Chân ngày 05/05/2018\n"}},
	{DocType: "to_khai_khai_sinh", Procedure: ProcKhaiSinh, Requirement: "to-khai-dang-ky-khai-sinh", TextLayer: false, Pages: []string{"T0 KHAI DANG KY KHAI SINH\nHo, chu dem, ten nguoi yeu cau: Vo Thi Tuyet\nNoi cu tru: Ap 3, Xa Cu Chi, Thanh pho Ho Chi Minh\nDe nghi co quan dang ky khai sinh cho nguoi duoi day:\nHo, chu dem, ten: Vo Gia Han\nNgay, thang, nam sinh: 08/02/2026\n"},
		Fields: []Field{{"full_name", "applicant", "Vo Thi Tuyet", "Vo Thi Tuyet"}, {"address", "applicant", "Ap 3, Xa Cu Chi, Thanh pho Ho Chi Minh", "Ap 3, Xa Cu Chi, Thanh pho Ho Chi Minh"}, {"full_name", "child", "Vo Gia Han", "Vo Gia Han"}, {"date_of_birth", "child", "08/02/2026", "2026-02-08"}}},
	{DocType: "other", Procedure: ProcKhaiSinh, Requirement: "other", TextLayer: true, Pages: []string{"TỜ KHAI ĐĂNG KÝ KẾT HÔN\nHọ, chữ đệm, tên: Lý Văn Đông / Hà Thị Xuân\nNgày, tháng, năm sinh: 01/01/1994 / 12/12/1996\nChúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi là tự nguyện.\n"}},
	{DocType: "other", Procedure: ProcThuongTru, Requirement: "other", TextLayer: true, Pages: []string{"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\nỦy ban nhân dân phường Ninh Kiều xác nhận: ông Tạ Văn Hòa, sinh ngày 03/03/1985, trong thời gian cư trú tại phường từ năm 2010 đến nay chưa đăng ký kết hôn với ai.\nGiấy này có giá trị 06 tháng kể từ ngày cấp.\n"}},
	{DocType: "other", Procedure: ProcGPXD, Requirement: "other", TextLayer: true, Pages: []string{"HỢP ĐỒNG THI CÔNG XÂY DỰNG\nBên A (chủ nhà): ông Mai Văn Tư\nBên B (nhà thầu): Công ty TNHH Xây dựng Phúc Lộc\nBên B nhận thi công phần thô và hoàn thiện nhà ở 3 tầng theo bản vẽ được duyệt; tiến độ 150 ngày; giá trị hợp đồng 1.250.000.000 đồng.\n"}},
	{DocType: "other", Procedure: ProcHoKinhDoanh, Requirement: "other", TextLayer: true, Pages: []string{"ẢNH CHỤP MẶT TIỀN CỬA HÀNG\nBiển hiệu: TẠP HÓA MINH CHÂU - Điện thoại 0905 123 456\n"}},
	{DocType: "giay_cam_doan", Procedure: ProcKhaiSinh, Requirement: "giay-chung-sinh", TextLayer: true, Pages: []string{"Bản cam đoan\nTôi là Lò Thị Mai, trú tại bản Nà Hẩu, cam đoan con tôi là Lò Văn Páo sinh ngày 11/11/2025 tại nhà, không có giấy chứng sinh vì sinh tại nhà và không có người làm chứng. Tôi xin chịu trách nhiệm về lời cam đoan này.\n"}},
	{DocType: "bien_ban_tre_bi_bo_roi", Procedure: ProcKhaiSinh, Requirement: "bien-ban-tre-bi-bo-roi", TextLayer: false, Pages: []string{"BIEN BAN\nV/v phat hien tre so sinh bi bo roi\nVao hoi 5 gio sang ngay 12/1/2026 tai cong chua Phuoc Hai, ba Tran Thi Nga phat hien mot be gai so sinh bi bo roi. Cong an xa va UBND xa da lap bien ban, giao tre cho ba Nga tam thoi nuoi duong.\n"}},
}

func init() {
	for i := range handwritten {
		handwritten[i].Variant = []string{"handwritten"}
		if !handwritten[i].TextLayer {
			handwritten[i].Variant = append(handwritten[i].Variant, "ocr")
		}
		if handwritten[i].Fields == nil {
			handwritten[i].Fields = []Field{}
		}
	}
}
